// npm start: build if needed, open the Electron window; where Electron cannot run, serve the same
// services and screens over loopback HTTP and print the address. Ctrl+C stops either cleanly.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildIfNeeded, electronBinary, root } from './lib.mjs';

const built = await buildIfNeeded();
if (built !== 0) {
  console.error('Keydesk could not be built; see the messages above.');
  process.exit(built);
}

// `npm start` runs this file under `sh -c`. A SIGTERM to npm reaches that shell, which dies
// without passing it on, and this process would be orphaned with the app still running. So
// losing the parent counts as SIGTERM: checked twice a second (Ctrl+C reaches the whole process
// group and needs none of this).
const startParent = process.ppid;
const ORPHAN_CHECK_MS = 500;

function runChild(cmd, args, env = {}) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  let stopping = null;
  const forward = (signal) => {
    stopping ??= signal;
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const orphanCheck = setInterval(() => {
    if (stopping === null && process.ppid !== startParent) forward('SIGTERM');
  }, ORPHAN_CHECK_MS);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      clearInterval(orphanCheck);
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve({ code: code ?? 0, signal: signal ?? stopping });
    });
    child.on('error', (err) => {
      clearInterval(orphanCheck);
      resolve({ code: 127, signal: null, error: err });
    });
  });
}

function serveOverHttp(reason) {
  console.log(`Keydesk is opening in your browser instead of its own window, because ${reason}.`);
  return runChild(process.execPath, [join(root, 'out/main/harness.js')]);
}

// better-sqlite3 13 needs Node 22: under an older Node the app crashes at its first query.
// `npm start` runs the project's own Node 22 (the `node` devDependency); a bare `node` may not.
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (nodeMajor < 22) {
  console.error(`Keydesk needs Node 22 or newer; this is Node ${process.versions.node}. Start it with "npm start", which uses the project's Node 22.`);
  process.exit(1);
}

const electron = electronBinary();
let result;
if (electron.path) {
  const started = Date.now();
  result = await runChild(electron.path, [root]);
  // A window that dies within seconds never really started (missing libraries, no GPU…): fall back.
  if (result.code !== 0 && !result.signal && Date.now() - started < 10_000) {
    result = await serveOverHttp(`Electron exited at start with code ${result.code}`);
  }
} else {
  result = await serveOverHttp(electron.reason);
}
if (result.signal && result.signal !== 'SIGINT' && result.signal !== 'SIGTERM') {
  // A crash must not look like a clean stop to whoever started us.
  console.error(`Keydesk stopped unexpectedly (${result.signal}); see the log in the data folder.`);
  process.exit(1);
}
process.exit(result.signal === 'SIGINT' || result.signal === 'SIGTERM' ? 0 : result.code);
