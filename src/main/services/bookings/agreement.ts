/** The rental agreement's parts that live in main: the shop's terms and the signature taken at check-out. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BookingContext } from './bookingContext';
import { isStoredFile } from './signatureStore';

export function createAgreement(k: BookingContext) {
  const { deps, load, repo } = k;
  function agreement(input: { id: string }) {
    const b = load(input.id);
    const s = deps.settings();
    const out = repo.handovers(b.id).find((h) => h.kind === 'out');
    let signature: string | null = null;
    const ref = out?.signature_ref ?? null;
    if (ref && isStoredFile(deps.dataDir, ref, 'signatures') && deps.dataDir !== null) {
      const bytes = readFileSync(join(deps.dataDir, ref));
      signature = `data:image/${ref.endsWith('.png') ? 'png' : 'jpeg'};base64,${bytes.toString('base64')}`;
    }
    return { shopName: s.shopName, terms: s.rentalTerms, signature, signedAt: out ? out.at : null, signedOnPaper: out !== undefined && ref === null };
  }
  return { agreement };
}
