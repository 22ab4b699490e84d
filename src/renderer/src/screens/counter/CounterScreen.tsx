import { useEffect } from 'react';
import { BookingTable } from '../../components/BookingTable';
import { pickupFlag } from '../../format/board';
import { showDate } from '../../format/time';
import { useShop } from '../../lib/useShop';
import { useCatalog } from '../../stores/catalogStore';
import { useCounter } from '../../stores/counterStore';
import { useViews } from '../../stores/viewStore';
import { WorkView } from '../WorkView';
import { HoldsExpiring } from '../deposits/HoldsExpiring';
import { SearchBox } from './SearchBox';

/** F1: find a booking fast, and see what the day holds. Opened bookings stack on top of it. */
export function CounterScreen() {
  const top = useViews((s) => s.stacks.counter.at(-1));
  return top ? <WorkView view={top} /> : <CounterHome />;
}

function CounterHome() {
  const today = useCounter((s) => s.today);
  const todayError = useCounter((s) => s.todayError);
  const loadToday = useCounter((s) => s.loadToday);
  const open = useViews((s) => s.open);
  const { locale, timeZone } = useShop();

  useEffect(() => {
    void loadToday();
    if (!useCatalog.getState().card) void useCatalog.getState().loadCatalog();
  }, [loadToday]);

  const openBooking = (id: string) => open({ kind: 'booking', id });

  return (
    <main className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title">Counter</h1>
      <SearchBox onOpen={openBooking} />
      <HoldsExpiring onOpen={openBooking} />
      <section aria-labelledby="today-title" className="today">
        <div className="section-head">
          <h2 id="today-title">Today{today ? `, ${showDate(today.date, locale)}` : ''}</h2>
          <button type="button" onClick={() => void loadToday()}>Refresh</button>
        </div>
        {today?.location && (
          <p className="muted">
            At {today.location.name}
            {today.timeZone !== timeZone ? `, on its own clock (${today.timeZone})` : ''}
          </p>
        )}
        {todayError && <p role="alert" className="panel-error">{todayError}</p>}
        {!today && !todayError && <p className="muted">Loading today’s pickups and returns…</p>}
        {today && (
          <>
            {today.overdue.length > 0 && (
              <BookingTable
                caption="Overdue returns"
                timeLabel="Was due"
                dateAndTime
                bookings={today.overdue}
                timeOf={(b) => b.returnAt}
                onOpen={(b) => openBooking(b.id)}
                empty="Nothing overdue."
              />
            )}
            <div className="today-lists">
              <BookingTable caption="Pickups" bookings={today.pickups} timeOf={(b) => b.pickupAt} onOpen={(b) => openBooking(b.id)} empty="No pickups left today." flagOf={(b) => pickupFlag(b, Date.now())} />
              <BookingTable caption="Returns" bookings={today.returns} timeOf={(b) => b.returnAt} onOpen={(b) => openBooking(b.id)} empty="No returns due today." />
            </div>
            {today.unsettled.length > 0 && (
              <BookingTable
                caption="Returned, balance still due"
                timeLabel="Returned"
                dateAndTime
                bookings={today.unsettled}
                timeOf={(b) => b.returnAt}
                onOpen={(b) => openBooking(b.id)}
                empty="Every return is settled."
              />
            )}
          </>
        )}
      </section>
    </main>
  );
}
