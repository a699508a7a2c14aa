// Debian's Chromium with the flags every run here uses (tests and screenshots alike).
import { chromium } from '@playwright/test';

export const launchOptions = {
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
};

export const launch = () => chromium.launch(launchOptions);
