// Builds the browser tests' page once per run (Vite, from the package sources) and hands its folder
// to the test files; without Chromium there is nothing to build (the tests skip).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildTestPage, hasChromium } from '../support/browser.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testPageDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), 'twinembed-browser-page-'));
  if (hasChromium) await buildTestPage(dir);
  project.provide('testPageDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
