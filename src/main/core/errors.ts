import { PosError } from '../../shared/errors';

/** A business rule refused one input field: the sentence names the field's problem; nothing was written. */
export function badInput(field: string, sentence: string): PosError {
  return new PosError('invalid_input', sentence, { fields: { [field]: sentence } });
}

export function notFound(what: string): PosError {
  return new PosError('not_found', `${what} could not be found. It may have been removed.`);
}

/** Someone else saved the record since this screen read it. */
export function staleVersion(what: string, expected: number | undefined, actual: number): void {
  if (expected !== undefined && expected !== actual) {
    throw new PosError('conflict', `${what} was changed at another counter or in another window. Reload it and try again.`, {
      fields: { expectedVersion: `Version ${expected} is out of date (now ${actual})` },
    });
  }
}
