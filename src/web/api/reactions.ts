/** The logged-in user's reactions: list them, set one (PUT, {kind, rating?}), remove one (DELETE). */
import { Router } from 'express';
import type { Reactions, ReactionView } from '../../services/reactions.js';
import { requireUserApi } from '../middleware/auth.js';
import { sessionUser } from '../session-user.js';

const asJson = ({ movie, kind, rating, updatedAt }: ReactionView) => ({ movieId: movie.id, movie, kind, rating, updatedAt });

export function reactionRoutes(reactions: Reactions): Router {
  const router = Router();

  router.get('/me/reactions', requireUserApi, async (req, res) => {
    res.json({ items: (await reactions.list(sessionUser(req)!.id)).map(asJson) });
  });

  router.put('/me/reactions/:movieId', requireUserApi, async (req, res) => {
    res.json(asJson(await reactions.react(sessionUser(req)!.id, req.params.movieId, req.body ?? {})));
  });

  router.delete('/me/reactions/:movieId', requireUserApi, async (req, res) => {
    const removed = await reactions.remove(sessionUser(req)!.id, req.params.movieId);
    res.json({ movieId: Number(req.params.movieId), removed });
  });

  return router;
}
