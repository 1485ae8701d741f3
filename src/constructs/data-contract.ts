import * as fs from 'fs';
import type { GlueStageTrigger } from './glue-stage';
import type { PipelineStageSpec, PipelineStageType } from './pipeline';
import { consumerResolution, isSensitiveColumn } from '../contract/consumer-grants';
import type { Contract } from '../contract/contract';
import { formatProblem } from '../contract/contract-problem';
import { glueName } from '../contract/glue-names';
import { glueTypeOf } from '../contract/glue-types';
import { contractFiles, lintContracts } from '../contract/lint-contract';
import { ConsumerAllowList } from '../domain/consumer-allow-list';

/**
 * Options of {@link DataContract.fromFile}.
 */
export interface DataContractOptions {
  /**
   * The domain the contract must belong to.
   *
   * @default - any domain
   */
  readonly domain?: string;

  /**
   * Principals (account ID or role ARN) of the consumer domains the contracts grant to. Given
   * this or `allowedConsumers`, every consumer must be allowed and a domain must have a principal,
   * or the contract is refused.
   *
   * @default - consumers are not checked here (the data product checks them at synthesis)
   */
  readonly consumerPrincipals?: { [domain: string]: string };

  /**
   * The consumers the platform's governance policy allows (see `consumerPrincipals`).
   *
   * @default - the baseline when consumers are checked: any domain, no account, no role
   */
  readonly allowedConsumers?: ConsumerAllowList;
}

/** A column of a data product's table, as its contract describes it. */
export interface DataContractColumn {
  /** The column's name. */
  readonly name: string;

  /** Its Glue type: the contract's physical type, or the one of its logical type. */
  readonly glueType: string;

  /** Whether the column may not be null. */
  readonly required: boolean;

  /**
   * Its classification (`public`, `internal`, `confidential`, `restricted`).
   *
   * @default - not classified
   */
  readonly classification?: string;

  /** Whether the column is sensitive (restricted, or personal data): a grant covers it only by name. */
  readonly sensitive: boolean;

  /**
   * What the column holds.
   *
   * @default - no description
   */
  readonly description?: string;
}

/** A table of a data product: one object of its contract's schema. */
export interface DataContractTable {
  /** The object's name in the contract (`object` in `object.column` grants). */
  readonly name: string;

  /** Its Glue table's name. */
  readonly glueName: string;

  /** Its columns, in contract order. */
  readonly columns: DataContractColumn[];

  /**
   * What one row of the table is.
   *
   * @default - no description
   */
  readonly description?: string;
}

/**
 * A data-product contract (`dataproducts/<name>.yaml`, Open Data Contract Standard v3.1) that
 * passed lint: the source everything of a data product is built from.
 *
 * @example
 * const contract = DataContract.fromFile('dataproducts/orders.yaml', { domain: 'sales' });
 */
export class DataContract {
  /**
   * Reads and lints a contract; throws with every problem of the file when it is invalid, so no
   * infrastructure is built from a contract that does not lint.
   */
  public static fromFile(file: string, options: DataContractOptions = {}): DataContract {
    return DataContract.fromFiles([file], options)[0];
  }

  /**
   * The contracts (`*.yaml`, `*.yml`) of a folder in file-name order; none when the folder does
   * not exist. Throws with every problem of every invalid contract.
   */
  public static fromFolder(dir: string, options: DataContractOptions = {}): DataContract[] {
    return fs.existsSync(dir) ? DataContract.fromFiles(contractFiles([dir]), options) : [];
  }

  private static fromFiles(files: string[], options: DataContractOptions): DataContract[] {
    const consumers = consumerResolution(options.consumerPrincipals, options.allowedConsumers);
    const reports = lintContracts(files, { domain: options.domain, consumers });
    const problems = reports.flatMap((report) => report.problems);
    if (problems.length > 0) {
      throw new Error(`invalid data-product contracts (run: sdlf-mesh contract lint):\n${problems.map(formatProblem).join('\n')}`);
    }
    return reports.map((report) => new DataContract(report.file, report.contract!));
  }

  /** The data product's name (the contract's `name`). */
  public readonly dataProduct: string;

  /** The contract's semantic version. */
  public readonly version: string;

  /** The domain the data product belongs to. */
  public readonly domain: string;

  /** The lifecycle status (`active`, `deprecated`, ...). */
  public readonly status: string;

  /**
   * What the data is for (`description.purpose`).
   *
   * @default - no purpose given
   */
  public readonly purpose?: string;

  /** The data product's tables, one per object of the schema. */
  public readonly tables: DataContractTable[];

  /** The stages of the data product's pipeline, in order (`sdlfPipeline`). */
  public readonly stages: PipelineStageSpec[];

  /**
   * Days the data is kept in every layer (`sdlfRetentionDays`).
   *
   * @default - the domain's retention
   */
  public readonly retentionDays?: number;

  private constructor(
    /** The contract file. */
    public readonly file: string,
    /** @internal the linted contract, typed */
    public readonly _contract: Contract,
  ) {
    this.dataProduct = _contract.dataProduct;
    this.version = _contract.version;
    this.domain = _contract.domain ?? '';
    this.status = _contract.status;
    this.purpose = _contract.document.description?.purpose;
    this.retentionDays = _contract.retentionDays;
    this.tables = _contract.objects.map((object) => ({
      name: object.name,
      glueName: glueName(object.name),
      description: object.description,
      columns: (object.properties ?? []).map((column) => ({
        name: column.name ?? '',
        glueType: glueTypeOf(column),
        required: column.required === true,
        classification: column.classification,
        sensitive: isSensitiveColumn(column, object),
        description: column.description,
      })),
    }));
    // The contract's stage types and triggers are the enums' values.
    this.stages = _contract.stages.map((stage) => ({
      name: stage.name,
      type: stage.type as PipelineStageType,
      trigger: stage.trigger as GlueStageTrigger | undefined,
      schedule: stage.schedule,
    }));
  }
}
