import ArgumentParser
import Runtime

extension DeviceRequest: ExpressibleByArgument {}
