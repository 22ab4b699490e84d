import './settings.css';
import { useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { useApp } from '../../stores/appStore';
import { CustomerSettings } from './CustomerSettings';
import { FleetSettings } from './FleetSettings';
import { LocationSettings } from './LocationSettings';
import { RateCardSettings } from './RateCardSettings';
import { ShopSettings } from './ShopSettings';
import { StaffSettings } from './StaffSettings';

const SECTIONS = [
  { id: 'shop', title: 'Shop', managerOnly: false },
  { id: 'staff', title: 'Staff', managerOnly: true },
  { id: 'fleet', title: 'Fleet', managerOnly: true },
  { id: 'rates', title: 'Rate card', managerOnly: true },
  { id: 'locations', title: 'Locations', managerOnly: true },
  { id: 'customers', title: 'Customers', managerOnly: true },
] as const;
type SectionId = (typeof SECTIONS)[number]['id'];

/**
 * Settings (F6): the shop, and the office's work for managers: staff, fleet, rate card,
 * locations and customers. The tabs follow the ARIA tabs pattern: ← → Home End move between them.
 */
export function SettingsScreen() {
  const role = useApp((s) => s.session?.role ?? null);
  const manager = role === 'manager' || role === 'admin';
  const sections = SECTIONS.filter((s) => manager || !s.managerOnly);
  const [open, setOpen] = useState<SectionId>('shop');
  const tabs = useRef<Record<string, HTMLButtonElement | null>>({});
  const current = sections.some((s) => s.id === open) ? open : 'shop';

  function onKey(e: KeyboardEvent) {
    const i = sections.findIndex((s) => s.id === current);
    const to = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? sections.length - 1 : null;
    if (to === null) return;
    e.preventDefault();
    const next = sections[(to + sections.length) % sections.length];
    if (!next) return;
    setOpen(next.id);
    tabs.current[next.id]?.focus();
  }

  return (
    <main className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title">Settings</h1>
      <div role="tablist" aria-label="Settings sections" className="tabs" onKeyDown={onKey}>
        {sections.map((s) => (
          <button
            key={s.id}
            ref={(el) => { tabs.current[s.id] = el; }}
            role="tab"
            id={`tab-${s.id}`}
            aria-selected={current === s.id}
            aria-controls={`panel-${s.id}`}
            tabIndex={current === s.id ? 0 : -1}
            onClick={() => setOpen(s.id)}
          >
            {s.title}
          </button>
        ))}
      </div>
      <section role="tabpanel" id={`panel-${current}`} aria-labelledby={`tab-${current}`} className="tab-panel">
        {current === 'shop' && <ShopSettings />}
        {current === 'staff' && <StaffSettings />}
        {current === 'fleet' && <FleetSettings />}
        {current === 'rates' && <RateCardSettings />}
        {current === 'locations' && <LocationSettings />}
        {current === 'customers' && <CustomerSettings />}
      </section>
    </main>
  );
}
