import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { useViews } from '../stores/viewStore';

/** Back (Esc) and the view's title; the title takes focus on arrival unless a form field should. */
export function ViewHeader({ title, focus = true, children }: { title: ReactNode; focus?: boolean; children?: ReactNode }) {
  const back = useViews((s) => s.back);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);
  return (
    <div className="view-head">
      <button type="button" className="back" aria-keyshortcuts="Escape" onClick={() => back()}>
        <span aria-hidden="true">←</span> Back <kbd aria-hidden="true">Esc</kbd>
      </button>
      <h1 id="screen-title" tabIndex={-1} ref={heading}>
        {title}
      </h1>
      {children}
    </div>
  );
}
