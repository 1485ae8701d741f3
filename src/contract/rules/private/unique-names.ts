import { renderPath } from '../../contract-problem';
import type { FieldPath, ReportProblem } from '../contract-rule';

/** Reports each item whose name an earlier item of the list already has, naming the first. */
export function reportDuplicateNames(items: ReadonlyArray<{ readonly name?: string }>, base: FieldPath, what: string, report: ReportProblem): void {
  const seen = new Map<string, number>();
  items.forEach((item, index) => {
    const name = item.name;
    if (name === undefined) {
      return;
    }
    if (seen.has(name)) {
      report([...base, index, 'name'], `${what} "${name}" is declared twice (first at ${renderPath([...base, seen.get(name)!])})`, 'rename or remove one');
    } else {
      seen.set(name, index);
    }
  });
}
