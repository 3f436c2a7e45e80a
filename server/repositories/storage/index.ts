// The storage the process uses, chosen from configuration: the local folder (STORAGE=local, default)
// or an S3-compatible bucket (STORAGE=s3). Everything else sees only the Storage interface.
import { env } from '../../env';
import { LocalStorage } from './local-storage.repository';
import { S3Storage } from './s3-storage.repository';
import type { Storage } from './storage';

export type { Storage } from './storage';
export { videoKeys } from './storage';

export const storage: Storage =
  env.STORAGE === 's3'
    ? new S3Storage({
        bucket: env.S3_BUCKET!,
        endpoint: env.S3_ENDPOINT,
        region: env.S3_REGION,
        accessKeyId: env.S3_ACCESS_KEY_ID,
        secretAccessKey: env.S3_SECRET_ACCESS_KEY,
        forcePathStyle: env.S3_FORCE_PATH_STYLE,
      })
    : new LocalStorage(env.dataDir);
