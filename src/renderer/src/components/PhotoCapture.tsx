import { useEffect, useRef, useState } from 'react';
import type { ChangeEvent } from 'react';
import { MAX_PHOTO_BYTES } from '../../../shared/contract/photos';
import { call } from '../rpc/client';
import { PhotoThumbs } from './PhotoThumbs';

/** Longest side a photo is scaled to before it goes to main: enough to read a scratch, small enough to keep. */
const MAX_SIDE = 1600;

/** A JPEG data URL of the image, scaled down and compressed until it fits what main keeps. */
function toJpeg(source: CanvasImageSource, width: number, height: number): string | null {
  const scale = Math.min(1, MAX_SIDE / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  canvas.getContext('2d')?.drawImage(source, 0, 0, canvas.width, canvas.height);
  for (const quality of [0.85, 0.7, 0.55, 0.4]) {
    const url = canvas.toDataURL('image/jpeg', quality);
    if (((url.length - url.indexOf(',') - 1) * 3) / 4 <= MAX_PHOTO_BYTES) return url;
  }
  return null;
}

/**
 * Photos of the vehicle: taken with the PC's camera (the browser or Electron asks for it) or
 * picked from files. Each is scaled on the counter, sent to main once, and kept there; the form
 * holds only the refs main answered.
 */
export function PhotoCapture({ id, refs, onChange, error }: { id: string; refs: string[]; onChange: (refs: string[]) => void; error?: string | undefined }) {
  const [camera, setCamera] = useState<MediaStream | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const latest = useRef(refs);
  latest.current = refs;

  useEffect(() => {
    if (video.current && camera) video.current.srcObject = camera;
    return () => camera?.getTracks().forEach((t) => t.stop());
  }, [camera]);

  async function keep(image: string | null) {
    if (!image) {
      setProblem('That photo is too large even after scaling; take it again closer up.');
      return;
    }
    setBusy(true);
    const r = await call('photos.save', { image });
    setBusy(false);
    if (r.ok) {
      setProblem(null);
      onChange([...latest.current, r.value.ref]);
    } else setProblem(r.error.message);
  }

  async function openCamera() {
    setProblem(null);
    if (!navigator.mediaDevices?.getUserMedia) {
      setProblem('This counter cannot reach a camera here. Pick a photo file instead.');
      return;
    }
    try {
      setCamera(await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: false }));
    } catch (e) {
      const name = e instanceof DOMException ? e.name : '';
      setProblem(name === 'NotAllowedError' ? 'The camera was not allowed. Allow it, or pick a photo file instead.' : 'No camera was found. Pick a photo file instead.');
    }
  }

  function capture() {
    const v = video.current;
    if (!v || v.videoWidth === 0) return;
    void keep(toJpeg(v, v.videoWidth, v.videoHeight));
  }

  async function picked(e: ChangeEvent<HTMLInputElement>) {
    const files = [...(e.target.files ?? [])];
    e.target.value = '';
    for (const f of files) {
      if (!['image/jpeg', 'image/png'].includes(f.type)) {
        setProblem(`${f.name} is not a JPEG or PNG photo.`);
        continue;
      }
      try {
        const bitmap = await createImageBitmap(f);
        await keep(toJpeg(bitmap, bitmap.width, bitmap.height));
        bitmap.close();
      } catch {
        setProblem(`${f.name} could not be read as a photo.`);
      }
    }
  }

  return (
    <div className="photo-capture" role="group" aria-labelledby={`${id}-label`}>
      <p id={`${id}-label`} className="label">Photos</p>
      <div className="photo-buttons">
        {camera ? (
          <>
            <button type="button" className="primary" onClick={capture} disabled={busy}>Capture photo</button>
            <button type="button" onClick={() => setCamera(null)}>Close camera</button>
          </>
        ) : (
          <button type="button" onClick={() => void openCamera()}>Take photo with camera</button>
        )}
        <button type="button" onClick={() => file.current?.click()} disabled={busy}>Add photo from file</button>
        <input ref={file} type="file" accept="image/jpeg,image/png" multiple hidden aria-label="Photo file" onChange={(e) => void picked(e)} />
      </div>
      {camera && <video ref={video} className="camera" autoPlay playsInline muted aria-label="Camera preview" />}
      {busy && <p className="muted" role="status">Saving the photo…</p>}
      {(problem ?? error) && <p className="field-error" role="alert">{problem ?? error}</p>}
      <PhotoThumbs refs={refs} onRemove={(ref) => onChange(refs.filter((r) => r !== ref))} />
    </div>
  );
}
