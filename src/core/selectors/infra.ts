/**
 * One entry point for selectors in infrastructure code: which format a file is (by a cheap content check plus
 * its extension), and its diagnostics. Used by the CLI and the editor adapters.
 */
import type { Parser as TsParser } from 'web-tree-sitter';
import { mayHoldCloudFormationCloudTrail, readCloudFormation, validateCloudFormation } from './cloudformation';
import { loadHclParser, mayHoldTerraformCloudTrail, readTerraform, validateTerraform } from './terraform';
import type { EmbeddedResource } from './embedded';
import type { SelectorDiagnostic, ValidateOptions } from './types';

export type InfraFormat = 'cloudformation-yaml' | 'cloudformation-json' | 'terraform';

const YAML_EXT = /\.(ya?ml|template|cfn)$/i;

/**
 * The format of a file that holds CloudTrail resources, else undefined. Costs one or two substring searches
 * for a file that holds none, so it can run on every YAML or Terraform file the editor opens.
 */
export function detectInfraFormat(text: string, fileName = ''): InfraFormat | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tf')) return mayHoldTerraformCloudTrail(text) ? 'terraform' : undefined;
  if (mayHoldCloudFormationCloudTrail(text) && text.includes('Resources')) {
    if (/^\s*\{/.test(text.slice(0, 4096))) return 'cloudformation-json';
    if (YAML_EXT.test(lower) || !lower.endsWith('.json')) return 'cloudformation-yaml';
  }
  if (!lower.endsWith('.json') && !YAML_EXT.test(lower) && text.includes('resource "aws_cloudtrail')) return 'terraform';
  return undefined;
}

/** True when the file is of a template/Terraform kind at all (extension), even without CloudTrail resources. */
export function isInfraFileName(fileName: string): boolean {
  return /\.tf$/i.test(fileName) || YAML_EXT.test(fileName);
}

/** Diagnostics for a file of a known format (the HCL parser is loaded on first use). */
export async function validateInfra(text: string, format: InfraFormat, options: ValidateOptions = {}, parser?: TsParser): Promise<SelectorDiagnostic[]> {
  if (format === 'terraform') return validateTerraform(text, parser ?? (await loadHclParser()), options);
  return validateCloudFormation(text, { ...options, json: format === 'cloudformation-json' });
}

/** The CloudTrail resources of a file of a known format. */
export async function infraResources(text: string, format: InfraFormat, parser?: TsParser): Promise<EmbeddedResource[]> {
  if (format === 'terraform') return readTerraform(text, parser ?? (await loadHclParser()));
  return readCloudFormation(text, format === 'cloudformation-json').resources;
}
