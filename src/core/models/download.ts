import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { CancelledError, EmotionLensError } from '../errors';

export interface DownloadProgress {
  url: string;
  receivedBytes: number;
  /** Undefined when the server sends no length. */
  totalBytes?: number;
}

export interface DownloadOptions {
  /** Expected sha256 (hex); the file is rejected and removed when it differs. */
  sha256?: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Redirects to follow (GitHub and Hugging Face answer with one or two). */
  maxRedirects?: number;
}

/**
 * Downloads `url` to `destination` through a temporary file in the same folder, checks the sha256 when
 * one is given, then renames: a failed, cancelled or tampered download never leaves a file behind.
 */
export async function downloadFile(url: string, destination: string, options: DownloadOptions = {}): Promise<void> {
  await fs.mkdir(path.dirname(destination), { recursive: true });
  const temp = `${destination}.${process.pid}.${Date.now()}.part`;
  try {
    const digest = await fetchToFile(url, temp, options, options.maxRedirects ?? 5);
    if (options.sha256 && digest !== options.sha256.toLowerCase()) {
      throw new EmotionLensError(
        'model-checksum',
        `downloaded file has sha256 ${digest}, expected ${options.sha256}`,
        url,
        'The download was corrupted or the file changed upstream; try again or place a verified copy by hand.',
      );
    }
    await fs.rename(temp, destination);
  } finally {
    await fs.rm(temp, { force: true });
  }
}

function fetchToFile(url: string, file: string, options: DownloadOptions, redirectsLeft: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    if (options.signal?.aborted) return reject(new CancelledError(url));
    const client = url.startsWith('https:') ? https : url.startsWith('http:') ? http : undefined;
    if (!client) return reject(new EmotionLensError('model-missing', 'only http(s) downloads are supported', url));
    const request = client.get(url, { signal: options.signal }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        if (redirectsLeft <= 0) return reject(new EmotionLensError('model-missing', 'too many redirects', url));
        const next = new URL(response.headers.location, url).toString();
        return fetchToFile(next, file, options, redirectsLeft - 1).then(resolve, reject);
      }
      if (status !== 200) {
        response.resume();
        return reject(new EmotionLensError('model-missing', `download failed with HTTP ${status}`, url, 'Check your connection, or place the file by hand.'));
      }
      const totalHeader = Number(response.headers['content-length']);
      const totalBytes = Number.isFinite(totalHeader) && totalHeader > 0 ? totalHeader : undefined;
      const hash = createHash('sha256');
      let receivedBytes = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          hash.update(chunk);
          receivedBytes += chunk.length;
          options.onProgress?.({ url, receivedBytes, totalBytes });
          callback(null, chunk);
        },
      });
      pipeline(response, meter, createWriteStream(file)).then(
        () => resolve(hash.digest('hex')),
        (error: unknown) => reject(options.signal?.aborted ? new CancelledError(url) : error),
      );
    });
    request.on('error', (error) => {
      reject(options.signal?.aborted ? new CancelledError(url) : new EmotionLensError('model-missing', `download failed (${error.message})`, url, 'Check your connection, or place the file by hand.'));
    });
  });
}

/** sha256 of a file, streamed (model files can be large). */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** Git blob id (`git hash-object`): sha1 of "blob <size>\0" + content. Vosk model files are verified with these. */
export async function gitBlobId(file: string): Promise<string> {
  const { size } = await fs.stat(file);
  const hash = createHash('sha1');
  hash.update(`blob ${size}\0`);
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

const hashCache = new Map<string, string>();

/** sha256 remembered per path + size + mtime, so repeated resolutions in one process hash each file once. */
export async function cachedSha256(file: string): Promise<string> {
  const stat = await fs.stat(file);
  const key = `${file}\0${stat.size}\0${stat.mtimeMs}`;
  const known = hashCache.get(key);
  if (known) return known;
  const digest = await sha256File(file);
  hashCache.set(key, digest);
  return digest;
}
