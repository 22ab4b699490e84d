import type { BookingDetail } from '../../../shared/contract/bookings';
import type { DepositView } from '../../../shared/contract/deposits';
import type { Output } from '../../../shared/contract';
import { QuoteTable } from '../components/QuoteTable';
import { DamageDiagram } from '../components/DamageDiagram';
import { showMoney } from '../format/money';
import { showDate, showDateTime, zoneOf } from '../format/time';

export type AgreementParts = Output<'bookings.agreement'>;
/** The deposit as the deposits capability tells it, or why it could not be read. */
export type AgreementDeposit = { view: DepositView } | { unavailable: string };

/** Additional drivers are sold as an extra; their names are written in by hand on the printout. */
function extraDrivers(b: BookingDetail): number {
  return b.extras.filter((e) => e.code === 'additional_driver').reduce((n, e) => n + e.quantity, 0);
}

/** The rental agreement as printed for the customer to sign at pickup (A4, black on white when printed). */
export function AgreementView({ b, parts, deposit, locale, timeZone }: { b: BookingDetail; parts: AgreementParts; deposit: AgreementDeposit; locale: string; timeZone: string }) {
  const when = (iso: string) => showDateTime(iso, timeZone, locale);
  const more = extraDrivers(b);
  return (
    <article className="agreement" aria-label={`Rental agreement ${b.ref}`}>
      <header>
        <p className="agreement-shop">{parts.shopName}</p>
        <h2>Rental agreement {b.ref}</h2>
      </header>
      <section aria-label="Renter and vehicle" className="agreement-grid">
        <dl>
          <dt>Renter</dt><dd>{b.customer.name}</dd>
          <dt>Phone</dt><dd>{b.customer.phone || '—'}</dd>
          <dt>Email</dt><dd>{b.customer.email || '—'}</dd>
        </dl>
        <dl>
          <dt>Vehicle</dt><dd>{b.vehicle.plate}, {b.vehicle.make} {b.vehicle.model} ({b.vehicle.className})</dd>
          <dt>Pickup</dt><dd>{showDateTime(b.pickupAt, zoneOf(b.pickupLocation, timeZone), locale)}, {b.pickupLocation.name}{zoneOf(b.pickupLocation, timeZone) !== timeZone ? ` (${zoneOf(b.pickupLocation, timeZone)})` : ''}</dd>
          <dt>Return</dt><dd>{showDateTime(b.returnAt, zoneOf(b.returnLocation, timeZone), locale)}, {b.returnLocation.name}{zoneOf(b.returnLocation, timeZone) !== timeZone ? ` (${zoneOf(b.returnLocation, timeZone)})` : ''}</dd>
        </dl>
      </section>
      <section aria-label="Drivers">
        <h3>Drivers</h3>
        <table className="agreement-drivers">
          <thead><tr><th scope="col">Driver</th><th scope="col">Licence</th><th scope="col">Valid until</th></tr></thead>
          <tbody>
            <tr><td>{b.customer.name} (main driver)</td><td>{b.customer.licenceNumber}</td><td>{showDate(b.customer.licenceExpiry, locale)}</td></tr>
            {Array.from({ length: more }, (_, i) => (
              <tr key={i} className="write-in"><td>Additional driver {i + 1}:</td><td /><td /></tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-label="Charges">
        <QuoteTable quote={b.quote} locale={locale} caption="Charges" />
      </section>
      <section aria-label="Deposit">
        <h3>Deposit</h3>
        {'view' in deposit ? (
          <p>
            {deposit.view.required.amount > 0
              ? `${showMoney(deposit.view.required, locale)}, held on the renter's card at pickup and released or settled at return (${deposit.view.reason}).`
              : 'No deposit is required for this rental.'}
            {deposit.view.held.amount > 0 && ` Held now: ${showMoney(deposit.view.held, locale)}.`}
          </p>
        ) : (
          <p>{deposit.unavailable}</p>
        )}
      </section>
      {b.checkOut && b.checkOut.marks.length > 0 && (
        <section aria-label="Condition at pickup">
          <DamageDiagram id="agr-diagram" caption="Damage at check-out" marks={b.checkOut.marks} />
        </section>
      )}
      <section aria-label="Terms">
        <h3>Terms</h3>
        <p className="prewrap agreement-terms">{parts.terms || 'No terms are set; a manager adds them under Settings.'}</p>
      </section>
      <section aria-label="Signature" className="agreement-sign">
        <p>I have read and accept this agreement and its terms.</p>
        {parts.signature ? (
          <p>
            <img src={parts.signature} alt={`Signature of ${b.customer.name}`} className="agreement-signature" />
            <br />
            Signed on screen {parts.signedAt ? when(parts.signedAt) : ''}
          </p>
        ) : parts.signedOnPaper ? (
          <p>Signed on paper at check-out {parts.signedAt ? when(parts.signedAt) : ''}.</p>
        ) : (
          <p className="sign-line">Signature of {b.customer.name}: ______________________ Date: ____________</p>
        )}
      </section>
    </article>
  );
}
