<?php

declare(strict_types=1);

namespace Herald\Exception;

/** 429: too many requests. */
class RateLimitedException extends HeraldException
{
}
