<?php

declare(strict_types=1);

namespace Herald\Exception;

/** A 5xx other than 503. */
class ServerErrorException extends HeraldException
{
}
