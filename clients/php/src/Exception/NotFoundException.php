<?php

declare(strict_types=1);

namespace Herald\Exception;

/** 404: no such endpoint (an older Herald that lacks it). */
class NotFoundException extends HeraldException
{
}
