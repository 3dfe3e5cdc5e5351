import { useState } from 'preact/hooks';
import type { AnyMessage, FieldsArgs } from '../../lib/message-contract';
import { askWorker } from '../worker-client';

type Ask = <M extends AnyMessage>(definition: M, ...fields: FieldsArgs<M>) => Promise<void>;

/** Sends a request to the worker from a click; a refusal becomes the sentence the panel shows. */
export function useWorkerAsk(): [error: string | null, ask: Ask] {
  const [error, setError] = useState<string | null>(null);
  const ask: Ask = async (definition, ...fields) => {
    setError(null);
    try {
      await askWorker(definition, ...fields);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return [error, ask];
}
