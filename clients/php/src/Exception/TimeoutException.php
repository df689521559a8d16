<?php

declare(strict_types=1);

namespace Herald\Exception;

/** No answer within the timeout, after every allowed attempt (status 0). */
class TimeoutException extends HeraldException
{
}
