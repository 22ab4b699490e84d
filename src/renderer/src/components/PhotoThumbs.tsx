import { useEffect, useState } from 'react';
import { call } from '../rpc/client';

/** Kept photos, shown small; each is read from main by its ref. */
export function PhotoThumbs({ refs, onRemove }: { refs: readonly string[]; onRemove?: (ref: string) => void }) {
  if (refs.length === 0) return <p className="muted">No photos.</p>;
  return (
    <ul className="photo-thumbs" aria-label="Photos">
      {refs.map((ref, i) => (
        <li key={ref}>
          <Thumb photoRef={ref} alt={`Photo ${i + 1}`} />
          {onRemove && <button type="button" aria-label={`Remove photo ${i + 1}`} onClick={() => onRemove(ref)}>×</button>}
        </li>
      ))}
    </ul>
  );
}

function Thumb({ photoRef, alt }: { photoRef: string; alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void call('photos.get', { ref: photoRef }).then((r) => live && r.ok && setSrc(r.value.image));
    return () => {
      live = false;
    };
  }, [photoRef]);
  return src ? <img src={src} alt={alt} /> : <span className="thumb-wait">{alt}</span>;
}
