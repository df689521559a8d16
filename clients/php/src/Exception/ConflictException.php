<?php

declare(strict_types=1);

namespace Herald\Exception;

/** 409: the Idempotency-Key was already used for a different request. */
class ConflictException extends HeraldException
{
}
