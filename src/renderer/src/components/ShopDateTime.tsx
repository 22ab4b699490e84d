import { useEffect, useState } from 'react';
import { datePattern, formatTypedDate, parseTypedDate, parseTypedTime } from '../format/typedDate';
import type { ControlProps } from './Field';

/**
 * Date and time as the shop writes them (its locale, 24-hour), whatever the browser's locale:
 * native date and time inputs follow the browser. The value is "YYYY-MM-DDTHH:MM" (the same
 * string a datetime-local input gives), or "" while what is typed is not yet a date and time.
 * `name` names the time field for a screen reader ("Pickup time").
 */
export function ShopDateTime({ control, name, value, locale, onChange, onBlur }: {
  control: ControlProps;
  name: string;
  value: string;
  locale: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
}) {
  const [date, setDate] = useState(() => formatTypedDate(value.slice(0, 10), locale));
  const [time, setTime] = useState(() => value.slice(11, 16));

  // A value set from outside (a reset, a default) shows; what the clerk is typing is left alone.
  useEffect(() => {
    if (value === '') return;
    const typed = `${parseTypedDate(date, locale) ?? ''}T${parseTypedTime(time) ?? ''}`;
    if (typed !== value) {
      setDate(formatTypedDate(value.slice(0, 10), locale));
      setTime(value.slice(11, 16));
    }
    // Only an outside change of the value resets the text.
  }, [value, locale]);

  const emit = (d: string, t: string) => {
    const pd = parseTypedDate(d, locale);
    const pt = parseTypedTime(t);
    onChange(pd && pt ? `${pd}T${pt}` : '');
  };
  const tidy = () => {
    const pd = parseTypedDate(date, locale);
    const pt = parseTypedTime(time);
    if (pd) setDate(formatTypedDate(pd, locale));
    if (pt) setTime(pt);
    onBlur?.();
  };
  const { id: _id, ...shared } = control;

  return (
    <span className="datetime">
      <input
        {...control}
        className="date-text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={datePattern(locale)}
        value={date}
        onChange={(e) => {
          setDate(e.target.value);
          emit(e.target.value, time);
        }}
        onBlur={tidy}
      />
      <input
        {...shared}
        className="time-text"
        aria-label={`${name} time`}
        inputMode="numeric"
        autoComplete="off"
        placeholder="hh:mm"
        value={time}
        onChange={(e) => {
          setTime(e.target.value);
          emit(date, e.target.value);
        }}
        onBlur={tidy}
      />
    </span>
  );
}

/** A calendar date as the shop writes it; the value is "YYYY-MM-DD", or "" while not yet a date. */
export function ShopDate({ control, value, locale, onChange }: { control: ControlProps; value: string; locale: string; onChange: (value: string) => void }) {
  const [text, setText] = useState(() => formatTypedDate(value, locale));
  useEffect(() => {
    if (value !== '' && parseTypedDate(text, locale) !== value) setText(formatTypedDate(value, locale));
    // Only an outside change of the value resets the text.
  }, [value, locale]);
  return (
    <input
      {...control}
      className="date-text"
      inputMode="numeric"
      autoComplete="off"
      placeholder={datePattern(locale)}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseTypedDate(e.target.value, locale) ?? '');
      }}
      onBlur={() => {
        const p = parseTypedDate(text, locale);
        if (p) setText(formatTypedDate(p, locale));
      }}
    />
  );
}

/**
 * A time of day as the shop writes it, 24-hour ("08:00", "18:30"), whatever the browser's
 * locale (a native time input shows "08:00 AM" on an en-US machine). The value is the text as
 * typed, tidied to "HH:MM" when the field is left; the form checks it with `parseTypedTime`.
 */
export function ShopTime({ control, value, disabled, onChange }: { control: ControlProps & { 'aria-label'?: string }; value: string; disabled?: boolean; onChange: (value: string) => void }) {
  return (
    <input
      {...control}
      className="time-text"
      inputMode="numeric"
      autoComplete="off"
      placeholder="hh:mm"
      pattern="([01]?[0-9]|2[0-3])[:.]?[0-5][0-9]"
      disabled={disabled}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      onBlur={() => {
        const p = parseTypedTime(value);
        if (p && p !== value) onChange(p);
      }}
    />
  );
}
