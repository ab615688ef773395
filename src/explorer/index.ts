/**
 * The CloudTrail Lens explorer view: local log folders first (src/explorer/local), then AWS profiles
 * (src/explorer/aws). This file only composes the sections and registers the view.
 */
import * as vscode from 'vscode';
import type { ExplorerSection } from './node';
import { ExplorerTreeProvider } from './tree';
import { createLocalSection } from './local';
import { AwsSection } from './aws/section';
import { registerAwsCommands, registerStatusBar } from './aws/commands';
import { VIEW_ID } from './aws/nodes';
import { logError } from '../common/log';

export function registerExplorer(context: vscode.ExtensionContext): void {
  const sections: ExplorerSection[] = [];
  let local: ExplorerSection | undefined;
  try {
    local = createLocalSection(context);
    sections.push(local);
  } catch (err) {
    // The AWS side still works if the local side fails to start (and vice versa below).
    logError('starting the local log folders section', err);
  }
  const aws = new AwsSection(context);
  aws.othersEmpty = async () => !local || (await local.roots()).length === 0;
  sections.push(aws);
  const tree = new ExplorerTreeProvider(sections);
  const view = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  context.subscriptions.push(...sections, tree, view);
  registerAwsCommands(context, aws, tree);
  registerStatusBar(context, aws);
}
