import * as fs from 'fs';
import * as path from 'path';
import { InvalidOptionError } from '../util/invalid-option-error';

// The data files a contract is tested on: named one by one, or folders read recursively, the
// way a table's location holds them (hive-style `column=value/` folders are partition columns).
// Their format is their extension's; one run reads one format.

/** A format the local engine reads. */
export type DataFormat = 'csv' | 'json' | 'parquet';

/** The formats by extension; text formats may be gzip-compressed (`.csv.gz`). */
const EXTENSIONS: Array<{ pattern: RegExp; format: DataFormat }> = [
  { pattern: /\.csv(\.gz)?$/i, format: 'csv' },
  { pattern: /\.(json|jsonl|ndjson)(\.gz)?$/i, format: 'json' },
  { pattern: /\.parquet$/i, format: 'parquet' },
];

/** What each format is called in messages. */
export const FORMAT_NAMES: Record<DataFormat, string> = { csv: 'CSV', json: 'JSON lines', parquet: 'Parquet' };

const KNOWN = 'CSV (.csv), JSON lines (.json, .jsonl, .ndjson) or Parquet (.parquet); CSV and JSON may be gzipped (.gz)';

/** The data files of a test run. */
export interface DataFiles {
  readonly format: DataFormat;
  /** Every file, in name order. */
  readonly files: string[];
  /** The partition columns their folders name (`year=2024/`), in path order. */
  readonly partitionColumns: string[];
}

/** The format of a file by its extension; undefined for one the engine does not read. */
export function formatOf(file: string): DataFormat | undefined {
  return EXTENSIONS.find(({ pattern }) => pattern.test(file))?.format;
}

/**
 * The data files of the given paths: a file as it is, a folder by the data files under it (at
 * any depth; files and folders whose names start with `.` or `_`, such as Spark's `_SUCCESS`, and
 * files of other formats are left out). A path that does not exist, a named file the engine cannot
 * read, a folder without data files, or files of two formats are refused, naming the path and the fix.
 */
export function dataFiles(paths: readonly string[]): DataFiles {
  if (paths.length === 0) {
    throw new InvalidOptionError('files', 'give the data files or folders to test, e.g. sdlf-mesh contract test dataproducts/orders.yaml data/orders/');
  }
  const files = paths.flatMap((given) => {
    if (!fs.existsSync(given)) {
      throw new InvalidOptionError(given, 'no such file or folder: give a data file or a folder of them');
    }
    if (fs.statSync(given).isDirectory()) {
      const found = filesUnder(given).filter((file) => formatOf(file) !== undefined);
      if (found.length === 0) {
        throw new InvalidOptionError(given, `the folder holds no data file: the engine reads ${KNOWN}`);
      }
      return found;
    }
    if (formatOf(given) === undefined) {
      throw new InvalidOptionError(given, `not a data file by its extension: the engine reads ${KNOWN}`);
    }
    return [given];
  });
  const formats = [...new Set(files.map((file) => formatOf(file)!))];
  if (formats.length > 1) {
    const example = (format: DataFormat) => files.find((file) => formatOf(file) === format);
    throw new InvalidOptionError(
      paths.join(' '),
      `the files mix ${formats.map((format) => `${FORMAT_NAMES[format]} (${example(format)})`).join(' and ')}: test each format on its own`,
    );
  }
  const partitionColumns = [...new Set(files.flatMap(partitionsOf))];
  return { format: formats[0], files: [...new Set(files)].sort(), partitionColumns };
}

/** The files under a folder, at any depth, but for hidden ones (`.`, `_`); symbolic links to folders are not followed. */
function filesUnder(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true })
    .filter((entry) => !/^[._]/.test(entry.name))
    .flatMap((entry) => {
      const child = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        return filesUnder(child);
      }
      return entry.isFile() || (entry.isSymbolicLink() && fs.statSync(child).isFile()) ? [child] : [];
    });
}

/** The partition columns a file's folders name, as the engine reads them: `key=value` folders of its path. */
function partitionsOf(file: string): string[] {
  return path.dirname(path.resolve(file)).split(path.sep).flatMap((segment) => {
    const partition = /^([^=]+)=[^=]*$/.exec(segment);
    return partition ? [partition[1]] : [];
  });
}
