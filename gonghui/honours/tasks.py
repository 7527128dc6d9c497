"""劳模工匠 has no periodic work yet: awards are decided by staff after the 公示 period (core.notices)."""
