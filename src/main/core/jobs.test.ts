import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../log';
import { createJobRunner, intervalJob } from './jobs';
import type { Job } from './module';

/** A promise the test settles by hand. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

/** Runs after every microtask queued so far: anything that could settle without outside help has. */
const nextMacrotask = () => new Promise<void>((r) => setImmediate(r));

function recordingJob(name: string, events: string[], over: Partial<Job> = {}): Job {
  return {
    name,
    start: (report) => {
      events.push(`start ${name}`);
      report('ok', `${name} running`);
    },
    stop: () => {
      events.push(`stop ${name}`);
    },
    ...over,
  };
}

describe('job runner', () => {
  it('starts jobs in list order and stops them in reverse, reporting each', async () => {
    const events: string[] = [];
    const runner = createJobRunner({ jobs: [recordingJob('a', events), recordingJob('b', events), recordingJob('c', events)], log: memoryLogger() });
    expect(runner.snapshot().map((j) => j.health)).toEqual(['stopped', 'stopped', 'stopped']);
    await runner.start();
    expect(runner.snapshot().map((j) => [j.name, j.health, j.detail])).toEqual([
      ['a', 'ok', 'a running'],
      ['b', 'ok', 'b running'],
      ['c', 'ok', 'c running'],
    ]);
    await runner.stop();
    expect(events).toEqual(['start a', 'start b', 'start c', 'stop c', 'stop b', 'stop a']);
    expect(runner.snapshot().every((j) => j.health === 'stopped')).toBe(true);
  });

  it('reports a job that throws on start as failed, with the reason, and still starts the rest', async () => {
    const events: string[] = [];
    const log = memoryLogger();
    const broken = recordingJob('broken', events, {
      start: () => {
        throw new Error('relay token unreadable');
      },
    });
    const asyncBroken = recordingJob('async', events, { start: () => Promise.reject(new Error('socket refused')) });
    const changes: string[] = [];
    const runner = createJobRunner({
      jobs: [broken, asyncBroken, recordingJob('fine', events)],
      log,
      onChange: (jobs) => changes.push(jobs.map((j) => j.health).join(',')),
    });
    await runner.start();
    const [b, a, f] = runner.snapshot();
    expect(b).toMatchObject({ health: 'failed', detail: expect.stringContaining('relay token unreadable') });
    expect(a).toMatchObject({ health: 'failed', detail: expect.stringContaining('socket refused') });
    expect(f).toMatchObject({ health: 'ok' });
    expect(changes.at(-1)).toBe('failed,failed,ok');
    expect(log.records.some((e) => e.event === 'jobs.start_failed')).toBe(true);
    // A failed job is not stopped (it never ran); the healthy one is.
    await runner.stop();
    expect(events).toEqual(['start fine', 'stop fine']);
  });

  it('marks a job whose stop throws as failed and still stops the others', async () => {
    const events: string[] = [];
    const bad = recordingJob('bad', events, {
      stop: () => {
        throw new Error('stuck');
      },
    });
    const runner = createJobRunner({ jobs: [recordingJob('first', events), bad], log: memoryLogger() });
    await runner.start();
    await runner.stop();
    expect(runner.snapshot().map((j) => j.health)).toEqual(['stopped', 'failed']);
    expect(events).toContain('stop first');
  });

  it('stop waits for the work in flight before it resolves', async () => {
    const order: string[] = [];
    const work = gate();
    const job: Job = {
      name: 'worker',
      start: (report) => report('ok', 'Working.'),
      stop: async () => {
        order.push('stop asked');
        await work.promise;
        order.push('work finished');
      },
    };
    const runner = createJobRunner({ jobs: [job], log: memoryLogger() });
    await runner.start();
    const stopped = runner.stop().then(() => order.push('stop resolved'));
    // Everything that could resolve without the work finishing has now resolved.
    await nextMacrotask();
    order.push('work released');
    work.open();
    await stopped;
    expect(order).toEqual(['stop asked', 'work released', 'work finished', 'stop resolved']);
  });

  it('drops reports a job makes after it was stopped', async () => {
    let late: ((h: 'ok', d: string) => void) | null = null;
    const runner = createJobRunner({
      jobs: [{ name: 'chatty', start: (r) => void (late = r), stop: () => undefined }],
      log: memoryLogger(),
    });
    await runner.start();
    await runner.stop();
    late!('ok', 'still here');
    expect(runner.snapshot()[0]).toMatchObject({ health: 'stopped' });
  });

  it('refuses two jobs with one name', () => {
    const j = recordingJob('same', []);
    expect(() => createJobRunner({ jobs: [j, j], log: memoryLogger() })).toThrow(/Two background jobs named same/);
  });
});

describe('interval job', () => {
  it('reports each run, turns a throwing run into failed, and stop waits for the run in flight', async () => {
    const runs: string[] = [];
    const second = gate();
    let n = 0;
    const job = intervalJob({
      name: 'probe',
      everyMs: 0,
      run: async () => {
        n += 1;
        runs.push(`run ${n}`);
        if (n === 1) return { health: 'ok', detail: 'Reachable.' };
        if (n === 2) throw new Error('socket hang up');
        await second.promise;
        runs.push(`run ${n} done`);
        return { health: 'degraded', detail: 'Slow.' };
      },
    });
    const reports: string[] = [];
    const runner = createJobRunner({ jobs: [job], log: memoryLogger(), onChange: (j) => reports.push(`${j[0]!.health}: ${j[0]!.detail}`) });
    await runner.start();
    // start waited for the first run.
    expect(runner.snapshot()[0]).toMatchObject({ health: 'ok', detail: 'Reachable.' });
    // The second run throws; the runner shows why, main carries on.
    await expect.poll(() => runner.snapshot()[0]!.health, { timeout: 10_000 }).toBe('failed');
    expect(runner.snapshot()[0]!.detail).toContain('socket hang up');
    await expect.poll(() => runs.includes('run 3'), { timeout: 10_000 }).toBe(true);
    const stopped = runner.stop().then(() => runs.push('stopped'));
    await nextMacrotask();
    runs.push('released');
    second.open();
    await stopped;
    expect(runs.slice(-3)).toEqual(['released', 'run 3 done', 'stopped']);
    expect(n).toBe(3);
    expect(runner.snapshot()[0]).toMatchObject({ health: 'stopped' });
  });

  it('reports stopped with the reason when it cannot run in this configuration', async () => {
    let ran = false;
    const job = intervalJob({
      name: 'sync',
      everyMs: 1000,
      run: async () => {
        ran = true;
        return { health: 'ok', detail: '' };
      },
      unavailable: () => 'No office relay is set up for this counter.',
    });
    const runner = createJobRunner({ jobs: [job], log: memoryLogger() });
    await runner.start();
    expect(runner.snapshot()[0]).toMatchObject({ health: 'stopped', detail: 'No office relay is set up for this counter.' });
    await runner.stop();
    expect(ran).toBe(false);
  });
});
