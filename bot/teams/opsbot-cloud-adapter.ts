import { CloudAdapter, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';

/**
 * CloudAdapter with its authenticated half exposed. `CloudAdapter.process` authenticates and
 * runs the bot in one call and answers 500 for auth failures it does not recognise (a bad
 * signature, say); the messages route authenticates first, so it can answer every failure
 * with 401, and hands the result here.
 */
export class OpsbotCloudAdapter extends CloudAdapter {
  runAuthenticated(authentication: AuthenticateRequestResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authentication, activity, logic);
  }
}
