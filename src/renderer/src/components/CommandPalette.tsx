import * as Dialog from '@radix-ui/react-dialog';
import { Command } from 'cmdk';
import { paletteActions, shortcuts } from '../keymap';
import { useApp } from '../stores/appStore';

/** Ctrl+K: every command in the keymap, and actions on what is on screen, searchable by name. */
export function CommandPalette() {
  const open = useApp((s) => s.paletteOpen);
  const setOpen = useApp((s) => s.setPaletteOpen);
  const items = shortcuts().filter((s) => s.keys !== 'Control+K' && !s.hidden);
  const actions = open ? paletteActions() : [];
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Portal>
        <Dialog.Overlay className="palette-overlay" />
        <Dialog.Content className="palette" aria-describedby={undefined}>
          <Dialog.Title className="visually-hidden">Command palette</Dialog.Title>
          <Command label="Commands">
            <Command.Input aria-label="Type a command" placeholder="Type a command…" autoFocus />
            <Command.List>
              <Command.Empty>No command matches.</Command.Empty>
              {actions.map((a) => (
                <Command.Item
                  key={a.id}
                  value={a.label}
                  onSelect={() => {
                    setOpen(false);
                    a.run();
                  }}
                >
                  <span>{a.label}</span>
                </Command.Item>
              ))}
              {items.map((s) => (
                <Command.Item key={s.keys} value={s.label} onSelect={() => s.run()}>
                  <span>{s.label}</span>
                  <kbd>{s.keys}</kbd>
                </Command.Item>
              ))}
            </Command.List>
          </Command>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
