NAV = []
