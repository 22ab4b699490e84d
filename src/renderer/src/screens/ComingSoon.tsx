import type { ReactNode } from 'react';

/** A screen whose capability lands in a later release: says plainly what will be here. */
export function ComingSoon({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title">{title}</h1>
      <div className="coming">{children}</div>
    </main>
  );
}
