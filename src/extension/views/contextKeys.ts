// Typed `setContext` that skips unchanged values (each call is a round trip to the renderer).
import * as vscode from 'vscode';
import { type ContextKeyNames } from '../ids';

type Name = (typeof ContextKeyNames)[keyof typeof ContextKeyNames];

export class ContextKeys {
  private readonly values = new Map<Name, unknown>();

  set(name: Name, value: string | boolean): void {
    if (this.values.get(name) === value) return;
    this.values.set(name, value);
    void vscode.commands.executeCommand('setContext', name, value);
  }

  /** The values set so far, for the test-state command. */
  snapshot(): Record<string, unknown> {
    return Object.fromEntries(this.values);
  }
}
