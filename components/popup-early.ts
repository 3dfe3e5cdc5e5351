/// <reference types="chrome" />
/**
 * What the popup asks the worker before its UI's code has loaded: a tiny classic script of its own
 * (entrypoints/popup-early.ts, built apart from the UI's chunks and run while the page is parsed) opens the state
 * ports and sends the one question, and keeps the answers until the UI takes them (entrypoints/popup/main.tsx).
 * The UI validates everything it takes, as it does what arrives later. Only plain runtime calls here (no zod,
 * preact or polyfill), so the early script stays a few hundred bytes.
 */

/** The subset of a runtime port the pages use (chrome's and webextension-polyfill's ports both have it). */
export interface PagePort {
  readonly name: string;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
  disconnect(): void;
}

/** A port opened early, with every message it received before the UI listened. */
export interface EarlyPort {
  port: PagePort;
  received: unknown[];
  /** Whether the worker dropped it already (the UI then connects anew). */
  dropped: boolean;
  /** Stops keeping messages: the UI listens itself from now on. */
  stopKeeping(): void;
}

export interface EarlyQuestions {
  ports: Map<string, EarlyPort>;
  /** The worker's raw answers, by message kind (validated where they are read). */
  answers: Map<string, Promise<unknown>>;
}

/** Firefox's promise-based `browser`, else Chromium's `chrome` (MV3: promise-based too). */
function runtime(): typeof chrome.runtime {
  return (globalThis as { browser?: typeof chrome }).browser?.runtime ?? chrome.runtime;
}

export function openEarly(port: PagePort): EarlyPort {
  let keeping = true;
  const early: EarlyPort = {
    port,
    received: [],
    dropped: false,
    stopKeeping: () => {
      keeping = false;
    },
  };
  port.onMessage.addListener((message) => keeping && early.received.push(message));
  port.onDisconnect.addListener(() => {
    early.dropped = true;
  });
  return early;
}

/** Opens `portNames` and sends each message of `kinds` (messages without fields) at once. */
export function askEarly(portNames: readonly string[], kinds: readonly string[]): EarlyQuestions {
  const api = runtime();
  return {
    ports: new Map(portNames.map((name) => [name, openEarly(api.connect({ name }))])),
    answers: new Map(kinds.map((kind) => [kind, api.sendMessage({ kind }).catch(() => undefined)])),
  };
}

/** Where the early script leaves its questions for the popup's module script (same page, same realm). */
const EARLY_KEY = '__reauthAssistEarlyQuestions';

export function leaveEarly(questions: EarlyQuestions): void {
  (globalThis as Record<string, unknown>)[EARLY_KEY] = questions;
}

/** The early script's questions, once (undefined when it did not run: the UI then connects itself). */
export function takeEarly(): EarlyQuestions | undefined {
  const global = globalThis as Record<string, unknown>;
  const questions = global[EARLY_KEY] as EarlyQuestions | undefined;
  delete global[EARLY_KEY];
  return questions;
}
