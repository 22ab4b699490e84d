/**
 * Printing a receipt. In a browser (the HTTP harness) the page's own print, with the print
 * stylesheet showing only the receipt. In Electron, main will own printing and PDF saving
 * (`src/main/electron`): when the preload exposes a `printReceipt` on `window.pos`, it is used
 * instead, with the booking id so main can render and save the same receipt.
 */
type PrintBridge = { printReceipt?: (bookingId: string) => Promise<unknown> };

export async function printReceipt(bookingId: string): Promise<void> {
  const bridge = window.pos as (PrintBridge & object) | undefined;
  if (bridge?.printReceipt) {
    await bridge.printReceipt(bookingId);
    return;
  }
  window.print();
}
