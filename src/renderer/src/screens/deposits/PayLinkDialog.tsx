import * as Dialog from '@radix-ui/react-dialog';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import type { PayLink } from '../../../../shared/contract/deposits';
import { showMoney } from '../../format/money';
import { showDateTime } from '../../format/time';
import { useShop } from '../../lib/useShop';
import { call } from '../../rpc/client';

/**
 * Pay by link: the customer scans the QR code (or gets the link by message) and pays on Stripe's
 * page. The amount is main's (the booking's balance). The booking updates when Stripe says the
 * link was paid; "Check payment" asks Stripe now.
 */
export function PayLinkDialog({ link, open, onOpenChange, onChanged }: { link: PayLink | null; open: boolean; onOpenChange: (o: boolean) => void; onChanged: (l: PayLink) => void }) {
  const shop = useShop();
  const [qr, setQr] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setQr(null);
    setNote(null);
    if (link?.url) void QRCode.toDataURL(link.url, { margin: 1, width: 240 }).then(setQr).catch(() => setQr(null));
  }, [link?.url]);

  async function copy() {
    if (!link?.url) return;
    try {
      await navigator.clipboard.writeText(link.url);
      setNote('Link copied. Paste it into a message to the customer.');
    } catch {
      setNote('Copying is not allowed here: select the link and copy it by hand.');
    }
  }
  async function check() {
    if (!link) return;
    setBusy(true);
    const r = await call('paylinks.refresh', { linkId: link.id });
    setBusy(false);
    if (!r.ok) return setNote(r.error.message);
    onChanged(r.value);
    setNote(r.value.status === 'paid' ? 'Paid. The booking is up to date.' : r.value.status === 'expired' ? 'This link expired unpaid. Send a new one.' : 'Not paid yet.');
  }

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog paylink-dialog">
          <Dialog.Title>Pay by link</Dialog.Title>
          {link && (
            <>
              <Dialog.Description>
                {showMoney(link.amount, shop.locale)} for this booking. The link works until {showDateTime(link.expiresAt, shop.timeZone, shop.locale)} and can be paid once.
              </Dialog.Description>
              {link.status === 'open' && link.url && (
                <>
                  {qr ? <img className="paylink-qr" src={qr} alt="QR code of the pay link" width={240} height={240} /> : <p className="muted">Drawing the QR code…</p>}
                  <label htmlFor="paylink-url">Link</label>
                  <div className="paylink-url">
                    <input id="paylink-url" readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
                    <button type="button" onClick={() => void copy()}>Copy link</button>
                  </div>
                </>
              )}
              <p className={`status paylink-${link.status}`} aria-live="polite">
                {link.status === 'paid' ? 'Paid' : link.status === 'expired' ? 'Expired unpaid' : link.status === 'failed' ? 'Could not be created' : 'Waiting for the customer to pay'}
              </p>
              {note && <p role="status">{note}</p>}
            </>
          )}
          <div className="actions">
            {link?.status === 'open' && <button type="button" className="primary" disabled={busy} onClick={() => void check()}>{busy ? 'Asking Stripe…' : 'Check payment'}</button>}
            <Dialog.Close asChild>
              <button type="button">Close</button>
            </Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
