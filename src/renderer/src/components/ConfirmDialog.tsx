import * as Dialog from '@radix-ui/react-dialog';
import type { FormEvent, ReactNode } from 'react';

/** A modal question with one confirming action. Esc or "Keep it" closes it without doing anything. */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  cancelLabel = 'Go back',
  danger = false,
  busy = false,
  onConfirm,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  children?: ReactNode;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) onConfirm();
  };
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog">
          <Dialog.Title>{title}</Dialog.Title>
          <Dialog.Description>{description}</Dialog.Description>
          <form onSubmit={submit} noValidate>
            {children}
            <div className="actions">
              <button type="submit" className={danger ? 'danger' : 'primary'} disabled={busy}>
                {busy ? 'Working…' : confirmLabel}
              </button>
              <Dialog.Close asChild>
                <button type="button">{cancelLabel}</button>
              </Dialog.Close>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
