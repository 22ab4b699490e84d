import type { Migration } from '../migrate';
import { m0010SettingsAudit } from './0010-settings-audit';
import { m0020FleetCustomersStaff } from './0020-fleet-customers-staff';
import { m0030Bookings } from './0030-bookings';
import { m0040Search } from './0040-search';
import { m0050Money } from './0050-money';
import { m0060Sync } from './0060-sync';
import { m0070Payments } from './0070-payments';
import { m0080RefundsOutbox } from './0080-refunds-outbox';
import { m0090Deposits } from './0090-deposits';
import { m0100VehicleTurnaround } from './0100-vehicle-turnaround';
import { m0120OfficeAdmin } from './0120-office-admin';
import { m0130BookingDiscountsDrivers } from './0130-booking-discounts-drivers';
import { m0140EndFees } from './0140-end-fees';
import { m0150DamageMarks } from './0150-damage-marks';
import { m0160QuoteTaxName } from './0160-quote-tax-name';
import { m0170AuditPersonal } from './0170-audit-personal';
import { m0180RateCardCancel } from './0180-rate-card-cancel';
import { m0190BookingsLiveVehicle } from './0190-bookings-live-vehicle';

/** Every schema step, in order. Add new files at the end; never edit a released one. */
export const MIGRATIONS: readonly Migration[] = [
  m0010SettingsAudit, m0020FleetCustomersStaff, m0030Bookings, m0040Search, m0050Money, m0060Sync, m0070Payments, m0080RefundsOutbox, m0090Deposits,
  m0100VehicleTurnaround, m0120OfficeAdmin, m0130BookingDiscountsDrivers, m0140EndFees, m0150DamageMarks,
  m0160QuoteTaxName, m0170AuditPersonal, m0180RateCardCancel, m0190BookingsLiveVehicle,
];
