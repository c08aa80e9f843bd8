/** The picks a signed-in user is editing: the draft kept in the session, or the saved picks when there is none yet. */
import type { Request } from 'express';
import type { Picks } from '../../services/picks.js';
import { sessionUser } from '../session-user.js';

declare module 'express-session' {
  interface SessionData {
    /** The picker's unsaved selection, movie ids in the order added; kept across pages until saved. */
    pickDraft: number[];
  }
}

export async function pickDraftOf(req: Request, picks: Pick<Picks, 'get'>): Promise<number[]> {
  return req.session.pickDraft ?? (await picks.get(sessionUser(req)!.id)).movieIds;
}

/** Whether the draft differs from the saved picks (the page then says it is not saved yet). */
export function hasUnsavedDraft(req: Request): boolean {
  return req.session.pickDraft !== undefined;
}
