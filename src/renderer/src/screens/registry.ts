/** The screens of the shell, in navigation order, each with its function key. */
export const SCREENS = [
  { id: 'counter', title: 'Counter', key: 'F1' },
  { id: 'bookings', title: 'Bookings', key: 'F2' },
  { id: 'refunds', title: 'Refunds', key: 'F3' },
  { id: 'shift', title: 'Shift', key: 'F4' },
  { id: 'reports', title: 'Reports', key: 'F5' },
  { id: 'settings', title: 'Settings', key: 'F6' },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];
