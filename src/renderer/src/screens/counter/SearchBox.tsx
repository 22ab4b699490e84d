import { useEffect, useRef } from 'react';
import type { KeyboardEvent } from 'react';
import { StatusBadge } from '../../components/StatusBadge';
import { showMoney } from '../../format/money';
import { showDateTime, showTime, zoneOf } from '../../format/time';
import { useShop } from '../../lib/useShop';
import { useApp } from '../../stores/appStore';
import { SEARCH_MIN_CHARS, useCounter } from '../../stores/counterStore';
import { useViews } from '../../stores/viewStore';

const WHEN_LABEL = { today: 'Today', upcoming: 'Upcoming', past: 'Past' } as const;

/**
 * The counter's search box (a combobox): results as you type, ↑/↓ to move, Enter opens the
 * highlighted booking (the top one unless moved), Esc clears.
 */
export function SearchBox({ onOpen }: { onOpen: (id: string) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const query = useCounter((s) => s.query);
  const results = useCounter((s) => s.results);
  const resultsFor = useCounter((s) => s.resultsFor);
  const active = useCounter((s) => s.active);
  const searchError = useCounter((s) => s.searchError);
  const more = useCounter((s) => s.more);
  const { setQuery, move, chosen, clear } = useCounter.getState();
  const focusTick = useViews((s) => s.searchFocus);
  const notifyApp = useApp((s) => s.notify);
  const notify = (kind: 'error' | 'success', text: string) => notifyApp(kind, text, 'search');
  const { locale, timeZone } = useShop();

  // Focused on arrival, and again whenever F1 or "/" asks for it.
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [focusTick]);

  const showing = query.trim() !== '' && resultsFor === query;
  const expanded = showing && results.length > 0;

  async function openChosen() {
    const hit = await chosen();
    if (hit) onOpen(hit.id);
    else if (query.trim().length > 0 && query.trim().length < SEARCH_MIN_CHARS) notify('error', 'Type at least two characters to find a booking.');
    else if (query.trim() !== '') notify('error', `No booking matches “${query.trim()}”. Try a reference, surname, phone number, licence or plate.`);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      move(1);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      move(-1);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      void openChosen();
    } else if (e.key === 'Escape' && query !== '') {
      e.preventDefault();
      clear();
    }
  }

  const activeId = expanded ? `hit-${results[active]?.id ?? ''}` : undefined;
  const short = query.trim().length > 0 && query.trim().length < SEARCH_MIN_CHARS;
  const found = more
    ? `Showing the first ${results.length} matching bookings; type more to narrow them down.`
    : `${results.length} ${results.length === 1 ? 'booking' : 'bookings'} found.`;
  const statusText = !showing ? '' : searchError ? searchError : short ? 'Type at least two characters.' : results.length === 0 ? 'No booking matches.' : `${found} Enter opens the highlighted one.`;

  return (
    <div className="search">
      <label htmlFor="counter-search" className="search-label">
        Find a booking <kbd aria-hidden="true">/</kbd>
      </label>
      <input
        ref={input}
        id="counter-search"
        type="search"
        role="combobox"
        aria-expanded={expanded}
        aria-controls="search-results"
        aria-autocomplete="list"
        aria-activedescendant={activeId}
        aria-describedby="search-status"
        autoComplete="off"
        spellCheck={false}
        placeholder="Reference, surname, phone, licence or plate"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <p id="search-status" className={searchError ? 'field-error' : 'search-status'} aria-live="polite">
        {statusText}
      </p>
      <ul id="search-results" role="listbox" aria-label="Matching bookings" className="hits" hidden={!expanded}>
        {expanded &&
          results.map((r, i) => (
            <li
              key={r.id}
              id={`hit-${r.id}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'hit active' : 'hit'}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => onOpen(r.id)}
            >
              <span className="hit-ref">{r.ref}</span>
              <span className="hit-name">{r.customer.name}</span>
              <span className="plate">{r.vehicle.plate}</span>
              <span className="hit-when">
                {r.when === 'today' ? `Today, ${r.status === 'checked_out' ? showTime(r.returnAt, zoneOf(r.returnLocation, timeZone), locale) : showTime(r.pickupAt, zoneOf(r.pickupLocation, timeZone), locale)}${r.status === 'checked_out' ? ' return' : ''}` : `${WHEN_LABEL[r.when]} · ${showDateTime(r.pickupAt, zoneOf(r.pickupLocation, timeZone), locale)}`}
              </span>
              <StatusBadge status={r.status} />
              <span className={`num ${r.balanceDue.amount > 0 ? 'due' : ''}`}>{showMoney(r.balanceDue, locale)}</span>
            </li>
          ))}
      </ul>
    </div>
  );
}
