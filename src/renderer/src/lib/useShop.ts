import type { CurrencyCode } from '../../../shared/money';
import { useApp } from '../stores/appStore';

export type Shop = { locale: string; timeZone: string; currency: CurrencyCode };

/** The shop's locale, time zone and currency, with safe defaults until settings arrive. */
export function useShop(): Shop {
  const settings = useApp((s) => s.settings);
  return {
    locale: settings?.locale ?? 'en-GB',
    timeZone: settings?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    currency: settings?.currency ?? 'EUR',
  };
}
