<?php

declare(strict_types=1);

namespace Herald\Exception;

/** 413: the body is larger than Herald's api.max_body_bytes. */
class PayloadTooLargeException extends HeraldException
{
}
