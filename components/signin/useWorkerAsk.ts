import { useState } from 'preact/hooks';
import { askWorker } from '../worker-client';

/** Sends a request to the worker from a click; a refusal becomes the sentence the panel shows. */
export function useWorkerAsk(): [error: string | null, ask: (message: { kind: string } & Record<string, unknown>) => Promise<void>] {
  const [error, setError] = useState<string | null>(null);
  const ask = async (message: { kind: string } & Record<string, unknown>) => {
    setError(null);
    try {
      await askWorker(message);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return [error, ask];
}
