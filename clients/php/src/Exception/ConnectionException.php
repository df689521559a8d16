<?php

declare(strict_types=1);

namespace Herald\Exception;

/** Herald could not be reached, or the connection broke before an answer (status 0). */
class ConnectionException extends HeraldException
{
}
