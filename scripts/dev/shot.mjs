import { chromium } from 'playwright-core';
const url = process.argv[2]; const out = process.argv[3];
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking','--disable-component-update','--disable-sync'] });
const p = await b.newPage({ viewport: { width: 1280, height: 800 } });
p.on('console', m => console.log('console', m.type(), m.text()));
await p.goto(url); await p.waitForTimeout(800);
if (process.argv[4]) { await p.keyboard.press(process.argv[4]); await p.waitForTimeout(400); }
await p.screenshot({ path: out }); await b.close();
