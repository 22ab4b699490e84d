import { create } from 'zustand';

/** Print dialogs asked for from outside the booking screen (the command palette): which booking's receipt or agreement to show. */
type PrintState = {
  receiptFor: string | null;
  agreementFor: string | null;
  showReceipt(bookingId: string | null): void;
  showAgreement(bookingId: string | null): void;
};

export const usePrint = create<PrintState>((set) => ({
  receiptFor: null,
  agreementFor: null,
  showReceipt: (bookingId) => set({ receiptFor: bookingId }),
  showAgreement: (bookingId) => set({ agreementFor: bookingId }),
}));
