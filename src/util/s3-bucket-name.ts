/**
 * S3's rule for a bucket name, as a pattern to embed in others: 3 to 63 lowercase letters,
 * digits, dots and hyphens, beginning and ending with a letter or a digit.
 */
export const S3_BUCKET_NAME_PATTERN = '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]';

const BUCKET_NAME = new RegExp(`^${S3_BUCKET_NAME_PATTERN}$`);

/** Whether `value` is a name S3 allows for a bucket. */
export function isS3BucketName(value: unknown): value is string {
  return typeof value === 'string' && BUCKET_NAME.test(value);
}
