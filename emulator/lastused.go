package emulator

import (
	"time"
)

// last_used_on: Cloudflare shows when a token was last used. The emulator
// records the minute (UTC, truncated) of the latest request a token
// authenticated and was allowed to make, so a token used many times a
// minute costs one write (an fsync with a state file) a minute, not one a
// request. A write that fails is logged and the request goes on: the time
// of last use is never worth refusing a request.

// lastUsedGranularity is the resolution of last_used_on.
const lastUsedGranularity = time.Minute

// noteUse records that c used its token now, unless the token's
// last_used_on already holds this minute.
func (s *Server) noteUse(c caller) {
	if !c.issued {
		return
	}
	now := s.cfg.clock().UTC().Truncate(lastUsedGranularity)
	if !newerUse(c.token.LastUsedOn, now) {
		return
	}
	err := s.store.update(func(tx *tx) error {
		cur, ok := s.store.apiTokens.lookup(tx, c.token.ID)
		if !ok || !newerUse(cur.LastUsedOn, now) {
			return nil // deleted meanwhile, or another request recorded it
		}
		next := cur
		next.LastUsedOn = &now
		s.store.apiTokens.put(tx, next)
		return nil
	})
	if err != nil {
		s.cfg.logger.Warn("last_used_on not recorded", "token_id", c.token.ID, "err", err)
	}
}

func newerUse(last *time.Time, now time.Time) bool { return last == nil || now.After(*last) }
