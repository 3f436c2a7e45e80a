// The storage the process uses, chosen from configuration (the local folder for now).
import { env } from '../../env';
import { LocalStorage } from './local-storage.repository';
import type { Storage } from './storage';

export type { Storage } from './storage';
export { videoKeys } from './storage';

export const storage: Storage = new LocalStorage(env.dataDir);
