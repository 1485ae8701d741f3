import * as fs from 'fs';
import * as path from 'path';
import { InvalidOptionError } from '../util/invalid-option-error';

/** A CloudFormation template, as far as the local run reads it. */
export interface Template {
  readonly Resources?: { [logicalId: string]: TemplateResource };
  readonly Outputs?: { [name: string]: { readonly Value: unknown; readonly Export?: { readonly Name: unknown } } };
  readonly Parameters?: { [name: string]: { readonly Default?: unknown } };
}

/** A resource of a {@link Template}. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: { [name: string]: any };
}

/** A stack of a cloud assembly. */
export interface AssemblyStack {
  /** The artifact's ID in the manifest. */
  readonly artifactId: string;
  /** The name CloudFormation deploys it as. */
  readonly stackName: string;
  /** How `cdk list` shows it, e.g. `sales-dev/dp-orders`. */
  readonly displayName: string;
  readonly account: string;
  readonly region: string;
  /** The stack's tags (the governance tags of the domain). */
  readonly tags: { readonly [key: string]: string };
  readonly template: Template;
  /** The assets of the stack by the key of their object in the asset bucket, as folders or files of the assembly. */
  readonly assets: ReadonlyMap<string, string>;
}

/** A cloud assembly: what `cdk synth` writes to `cdk.out`. */
export interface CloudAssembly {
  readonly directory: string;
  /** Its stacks, in the order of the manifest (nested assemblies of stages included, in place). */
  readonly stacks: AssemblyStack[];
}

/**
 * Reads the cloud assembly in `directory` (its `manifest.json`, the templates and asset manifests
 * of its stacks, and those of the stages' nested assemblies).
 *
 * @param option how the user named the folder, for the message when there is no assembly there
 */
export function readCloudAssembly(directory: string, option: string): CloudAssembly {
  const manifestFile = path.join(directory, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new InvalidOptionError(option, `${directory} holds no cloud assembly (no manifest.json): run npx cdk synth in the domain repository, or give the folder it wrote with --app`);
  }
  return { directory, stacks: stacksOf(directory) };
}

function stacksOf(directory: string): AssemblyStack[] {
  const manifest = readJson(path.join(directory, 'manifest.json'));
  const artifacts: Record<string, any> = manifest.artifacts ?? {};
  const stacks: AssemblyStack[] = [];
  for (const [artifactId, artifact] of Object.entries(artifacts)) {
    if (artifact.type === 'cdk:cloud-assembly') {
      stacks.push(...stacksOf(path.join(directory, artifact.properties.directoryName)));
    } else if (artifact.type === 'aws:cloudformation:stack') {
      const properties = artifact.properties ?? {};
      const [, account, region] = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? '') ?? [];
      const assetManifests = (artifact.dependencies ?? [])
        .map((id: string) => artifacts[id])
        .filter((dependency: any) => dependency?.type === 'cdk:asset-manifest')
        .map((dependency: any) => path.join(directory, dependency.properties.file));
      stacks.push({
        artifactId,
        stackName: properties.stackName ?? artifactId,
        displayName: artifact.displayName ?? artifactId,
        account,
        region,
        tags: properties.tags ?? {},
        template: readJson(path.join(directory, properties.templateFile)),
        assets: assetsOf(directory, assetManifests),
      });
    }
  }
  return stacks;
}

/** The assets of asset manifests, by the object key they are published under. */
function assetsOf(directory: string, manifests: string[]): Map<string, string> {
  const assets = new Map<string, string>();
  for (const manifest of manifests) {
    for (const file of Object.values<any>(readJson(manifest).files ?? {})) {
      for (const destination of Object.values<any>(file.destinations ?? {})) {
        assets.set(destination.objectKey, path.join(directory, file.source.path));
      }
    }
  }
  return assets;
}

function readJson(file: string): any {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
