using System.ComponentModel.DataAnnotations;

namespace OrderSaga.DevServers.Redis;

public sealed class GarnetOptions
{
    public const string Section = "Garnet";

    [Range(1, 65535)]
    public int Port { get; set; }
}
