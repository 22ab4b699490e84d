import type { Module } from '../../core/module';
import { readPhoto, savePhoto } from './photoStore';

/** Photos of vehicles at hand-over: kept by the app under its data folder, referred to by id. */
export function createPhotosModule(deps: { dataDir: string | null; isStored: (ref: string) => boolean }): Module {
  return {
    name: 'photos',
    handlers: {
      'photos.save': (input) => savePhoto(deps.dataDir, input.image),
      'photos.get': (input) => readPhoto(deps.dataDir, input.ref, deps.isStored),
    },
  };
}
