/**
 * Integration tests against moto: point the extension's AWS settings at the profile the set-up hook
 * (test/integration/setup/aws.mjs) seeded, and put the user's settings back afterwards. Runs in the extension host.
 */
import * as vscode from 'vscode';

const KEYS = ['profile', 'regions', 'configFile', 'credentialsFile'] as const;

/** Sets profile, Region and the seeded config/credentials files (global), refreshes AWS; returns the undo. */
export async function useSeededAwsProfile(env: NodeJS.ProcessEnv, profile: string, region: string): Promise<() => Promise<void>> {
  const cfg = vscode.workspace.getConfiguration('cloudtrailLens.aws');
  const saved = Object.fromEntries(KEYS.map((k) => [k, cfg.inspect(k)?.globalValue]));
  await cfg.update('configFile', env.CLOUDTRAIL_LENS_TEST_AWS_CONFIG_FILE, vscode.ConfigurationTarget.Global);
  await cfg.update('credentialsFile', env.CLOUDTRAIL_LENS_TEST_AWS_CREDENTIALS_FILE, vscode.ConfigurationTarget.Global);
  await cfg.update('profile', profile, vscode.ConfigurationTarget.Global);
  await cfg.update('regions', [region], vscode.ConfigurationTarget.Global);
  await vscode.commands.executeCommand('cloudtrailLens.aws.refresh');
  return async () => {
    const now = vscode.workspace.getConfiguration('cloudtrailLens.aws');
    for (const k of KEYS) await now.update(k, saved[k], vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('cloudtrailLens.aws.refresh');
  };
}
