// The demo shop's data. Not a capability (no calls of its own): backend.ts runs it in demo mode.
export { DEMO_ADMIN, DEMO_CLERK, DEMO_MANAGER, applyDemoSettings, demoCardFor, seedDemo } from './demoSeed';
export type { DemoSeedOptions } from './demoSeed';
