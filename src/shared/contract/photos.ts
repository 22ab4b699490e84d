import { z } from 'zod';
import { method } from './define';
import { storedFileRefSchema } from './fields';

/**
 * Photos of a vehicle at hand-over, taken with the counter PC's camera or picked from files.
 * The renderer sends the image once (a JPEG or PNG data URL, scaled down on the counter); main
 * checks its bytes, keeps it under its data folder and answers with a ref (`photos/<id>.jpg`),
 * which is all a booking stores. Paths never cross the contract.
 */

/** Largest photo kept, in bytes. The counter scales camera and file images down to fit. */
export const MAX_PHOTO_BYTES = 700 * 1024;

const photoRef = storedFileRefSchema('photos', 'Photo');

export const photosMethods = {
  'photos.save': method({
    access: 'clerk',
    summary: 'Keep one photo (JPEG or PNG data URL) under the data folder; answers its ref',
    input: z
      .object({
        // Base64 of MAX_PHOTO_BYTES plus the data URL's prefix; the bytes are checked again in main.
        image: z.string().min(1, { message: 'Photo is empty; take it again' }).max(Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 64, { message: 'Photo is too large (at most 700 KB)' }),
      })
      .strict(),
    output: z.object({ ref: photoRef, bytes: z.number().int() }),
  }),
  'photos.get': method({
    access: 'clerk',
    summary: 'One stored photo as a data URL, to show on the booking',
    input: z.object({ ref: photoRef }).strict(),
    output: z.object({ ref: z.string(), image: z.string() }),
  }),
} as const;
